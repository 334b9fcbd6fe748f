.class public final Lorg/hypercompat/shim/gms/location/LocationResult;
.super Ljava/lang/Object;
.source "LocationResult.smali"

# Portable stand-in for com.google.android.gms.location.LocationResult.

.field private final locations:Ljava/util/List;

.method private constructor <init>(Ljava/util/List;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/hypercompat/shim/gms/location/LocationResult;->locations:Ljava/util/List;
    return-void
.end method

.method public static create(Ljava/util/List;)Lorg/hypercompat/shim/gms/location/LocationResult;
    .registers 2
    new-instance v0, Lorg/hypercompat/shim/gms/location/LocationResult;
    invoke-direct {v0, p0}, Lorg/hypercompat/shim/gms/location/LocationResult;-><init>(Ljava/util/List;)V
    return-object v0
.end method

.method public getLocations()Ljava/util/List;
    .registers 2
    iget-object v0, p0, Lorg/hypercompat/shim/gms/location/LocationResult;->locations:Ljava/util/List;
    return-object v0
.end method

.method public getLastLocation()Landroid/location/Location;
    .registers 3
    iget-object v0, p0, Lorg/hypercompat/shim/gms/location/LocationResult;->locations:Ljava/util/List;
    invoke-interface {v0}, Ljava/util/List;->size()I
    move-result v1
    if-nez v1, :some
    const/4 v0, 0x0
    return-object v0
    :some
    add-int/lit8 v1, v1, -0x1
    invoke-interface {v0, v1}, Ljava/util/List;->get(I)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/location/Location;
    return-object v0
.end method
